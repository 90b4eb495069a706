"""The subject-wise train/validation/test splits of the two UCI-HAR protocols."""

from __future__ import annotations

import numpy as np

#: Test subjects of the official UCI-HAR split (the "dsc" protocol, paper 000).
DSC_TEST_SUBJECTS = (2, 4, 9, 10, 12, 13, 18, 20, 24)
#: Test subjects of the "ssl" protocol (papers 001/004).
SSL_TEST_SUBJECTS = (2, 3, 11, 14, 26, 30)
#: Validation subjects of the "ssl" protocol.
SSL_VAL_SUBJECTS = (4, 10, 21, 24, 28)

_SPLITS = {
    "dsc": {"test": DSC_TEST_SUBJECTS, "val": ()},
    "ssl": {"test": SSL_TEST_SUBJECTS, "val": SSL_VAL_SUBJECTS},
}


def subject_split(subject, protocol: str = "ssl") -> dict[str, np.ndarray]:
    """Boolean masks of the train, validation and test subjects of a protocol.

    Parameters
    ----------
    subject : array-like of shape (n_samples,)
        Subject id (1..30) of every window.
    protocol : {"dsc", "ssl"}, default="ssl"
        ``"dsc"``: UCI-HAR's official split (9 test subjects, no validation);
        ``"ssl"``: 6 test, 5 validation, the other 19 subjects train.

    Returns
    -------
    masks : dict with keys "train", "val", "test"
        Boolean arrays of shape (n_samples,); "val" is all False for "dsc".

    See Also
    --------
    sample_per_class : Draw k labelled windows per class from a split.
    sklearn.model_selection.GroupKFold : Subject-wise cross-validation.

    Examples
    --------
    >>> from sktime_har.model_selection import subject_split
    >>> masks = subject_split([1, 2, 4, 30], protocol="ssl")
    >>> masks["train"].tolist(), masks["val"].tolist(), masks["test"].tolist()
    ([True, False, False, False], [False, False, True, False], [False, True, False, True])
    """
    if protocol not in _SPLITS:
        raise ValueError(f"protocol must be one of {sorted(_SPLITS)}; got {protocol!r}.")
    subject = np.asarray(subject)
    test = np.isin(subject, _SPLITS[protocol]["test"])
    val = np.isin(subject, _SPLITS[protocol]["val"])
    return {"train": ~(test | val), "val": val, "test": test}
