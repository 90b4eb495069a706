"""Subject splits of the UCI-HAR protocols and label sampling for semi-supervised runs."""

from sktime_har.model_selection._sampling import sample_per_class
from sktime_har.model_selection._subject_splits import (
    DSC_TEST_SUBJECTS,
    SSL_TEST_SUBJECTS,
    SSL_VAL_SUBJECTS,
    subject_split,
)

__all__ = [
    "DSC_TEST_SUBJECTS",
    "SSL_TEST_SUBJECTS",
    "SSL_VAL_SUBJECTS",
    "sample_per_class",
    "subject_split",
]
