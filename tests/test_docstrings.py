"""numpydoc validation of every public class, function and method.

The public API is what the ``__all__`` of the public subpackages lists
(``PUBLIC_MODULES``). A subpackage that does not exist yet contributes nothing;
a subpackage that exists but fails to import, or an ``__all__`` entry that is
not defined, fails. Every class and function reachable that way must pass the
checks below; data objects (constants, scorer instances) carry no numpydoc
docstring and are skipped.

Checked numpydoc codes, and why
-------------------------------
Objects (public classes and functions):

- GL06 unknown section, GL07 sections out of order: a misspelt or misplaced
  header ("Example", "Return") is silently dropped from the rendered page.
- GL08 no docstring.
- SS01-SS04, SS06 summary present, capitalised, ending with a period, no
  leading whitespace, on one line: autosummary tables in the API reference
  show exactly this line.
- PR01 undocumented parameters, PR02 documented parameters that do not exist,
  PR03 wrong order, PR04 no type, PR06 ``integer``/``boolean``/``string``
  instead of ``int``/``bool``/``str``, PR07 no description, PR10 ``x: int``
  (renders as one name): the Parameters section must match the signature (for
  a class, the ``__init__`` signature, i.e. the hyperparameters).
- RT01 no Returns section (functions and methods that return something),
  RT03 return value without description, YD01 generator without Yields.
- SA01 no See Also section and EX01 no Examples section: issue 8 asks every
  public class and function for See Also and a runnable example (the examples
  are executed by tests/test_doctests.py).

Public methods defined in a public class (``fit``, ``transform``, ``forward``,
...) are checked for the same codes except SA01 and EX01 (scikit-learn style:
the example lives on the class).

Extra checks of this project (not numpydoc codes): estimators (``BaseEstimator``
subclasses) of the method subpackages (clustering, ssl, supervised,
inspection) have a References section naming their paper; dataclass and named-tuple fields are
documented under Parameters or Attributes.

Not checked, on purpose: GL01/GL02/GL03 (quote placement and blank lines are
formatting, ruff's business), ES01 (a one-line docstring can be complete),
SS05 (noun-phrase summaries such as "Boolean masks of ..." read well for
functions returning data, and classes), PR05/PR08/PR09, RT02/RT04/RT05,
SA02-SA04 (capitalisation and trailing punctuation of descriptions: style, not
correctness; descriptions often start with a literal such as ``"dsc"``).
A single justified exception can be marked on the ``def``/``class`` line with
``# numpydoc ignore=CODE``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re

import numpydoc.validate as numpydoc_validate  # the `dev` extra installs numpydoc
import pytest
from numpydoc.docscrape import get_doc_object

# the public subpackages, most specific first (docs/conf.py checks api.rst against the same list)
from sktime_har.utils.discovery import PUBLIC_MODULES

#: Subpackages whose estimator classes must cite their paper.
PAPER_MODULES = (
    "sktime_har.clustering",
    "sktime_har.ssl",
    "sktime_har.supervised",
    "sktime_har.inspection",
)

OBJECT_CHECKS = frozenset({
    "GL06", "GL07", "GL08",
    "SS01", "SS02", "SS03", "SS04", "SS06",
    "PR01", "PR02", "PR03", "PR04", "PR06", "PR07", "PR10",
    "RT01", "RT03", "YD01",
    "SA01", "EX01",
})
METHOD_CHECKS = OBJECT_CHECKS - {"SA01", "EX01"}
#: Codes about the Parameters section, replaced by the field check for
#: dataclasses and named tuples (their fields are usually listed as Attributes).
PARAMETER_CODES = frozenset({"PR01", "PR02", "PR03"})


def _import_public(modname: str):
    """The module, or None when it does not exist (yet)."""
    try:
        return importlib.import_module(modname)
    except ModuleNotFoundError as exc:
        if exc.name == modname:
            return None
        raise


#: Methods checked even when they override a scikit-learn or torch method:
#: their arguments and return values are the estimator's API.
API_METHODS = frozenset({
    "fit", "partial_fit", "predict", "predict_proba", "predict_log_proba",
    "decision_function", "transform", "fit_transform", "fit_predict",
    "inverse_transform", "score", "split", "get_n_splits", "forward", "step",
})


def _overrides_external(cls, name: str) -> bool:
    """Whether ``name`` overrides a method of a base class outside sktime_har."""
    return any(
        name in vars(base) and not base.__module__.startswith("sktime_har")
        for base in cls.__mro__[1:]
    )


def _own_public_methods(cls) -> list[str]:
    """Public methods defined in the class body itself (not inherited).

    Overrides of framework hooks (``extra_repr``, ``get_feature_names_out``,
    ...) are skipped unless they are part of the estimator API above.
    """
    names = []
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if name not in API_METHODS and _overrides_external(cls, name):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr):
            names.append(name)
    return sorted(names)


def _is_record(cls) -> bool:
    return dataclasses.is_dataclass(cls) or (
        issubclass(cls, tuple) and hasattr(cls, "_fields")
    )


def _collect():
    """(id, kind, object, home module) for every public object and method."""
    items, problems, seen = [], [], set()
    for modname in PUBLIC_MODULES:
        try:
            module = _import_public(modname)
        except Exception as exc:  # a subpackage that exists must import
            problems.append((modname, f"import failed: {type(exc).__name__}: {exc}"))
            continue
        if module is None:
            continue
        for name in getattr(module, "__all__", []):
            if not hasattr(module, name):
                problems.append((f"{modname}.{name}", "listed in __all__ but not defined"))
                continue
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue  # data: constants, scorer instances
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            path = f"{modname}.{name}"
            items.append((path, "object", obj, modname))
            if inspect.isclass(obj) and not issubclass(obj, BaseException):
                for meth in _own_public_methods(obj):
                    items.append((f"{path}.{meth}", "method", getattr(obj, meth), modname))
    return items, problems


ITEMS, PROBLEMS = _collect()


def numpydoc_errors(obj, checks=OBJECT_CHECKS) -> list[str]:
    """The checked numpydoc errors of ``obj`` as ``"CODE: message"`` strings."""
    result = numpydoc_validate.validate(get_doc_object(obj))
    return [f"{code}: {msg}" for code, msg in result["errors"] if code in checks]


def _has_section(obj, title: str) -> bool:
    doc = inspect.getdoc(obj) or ""
    return re.search(rf"^{title}\n-{{3,}}$", doc, flags=re.MULTILINE) is not None


def _undocumented_fields(cls) -> list[str]:
    if dataclasses.is_dataclass(cls):
        fields = [f.name for f in dataclasses.fields(cls)]
    else:
        fields = list(cls._fields)
    doc = get_doc_object(cls)
    documented = {p.name for p in doc["Parameters"]} | {p.name for p in doc["Attributes"]}
    return [f for f in fields if f not in documented]


@pytest.mark.parametrize(
    "path, kind, obj, home", ITEMS, ids=[item[0] for item in ITEMS]
)
def test_numpydoc(path, kind, obj, home):
    checks = OBJECT_CHECKS if kind == "object" else METHOD_CHECKS
    record = inspect.isclass(obj) and _is_record(obj)
    if record:
        checks = checks - PARAMETER_CODES
    errors = numpydoc_errors(obj, checks)
    errors += [f"MARKER: shared text {m} not filled in"
               for m in re.findall(r"%\(\w+\)s", obj.__doc__ or "")]
    if record:
        errors += [f"FIELD: {f} not documented" for f in _undocumented_fields(obj)]
    if (
        kind == "object"
        and inspect.isclass(obj)
        and home in PAPER_MODULES
        and _needs_paper(obj)
        and not _has_section(obj, "References")
    ):
        errors.append("REF: no References section citing the paper")
    assert not errors, f"{path}:\n  " + "\n  ".join(errors)


def _needs_paper(cls) -> bool:
    """Estimators (scikit-learn ``BaseEstimator`` subclasses) implement a paper."""
    from sklearn.base import BaseEstimator

    return issubclass(cls, BaseEstimator) and not _is_record(cls)


def test_public_modules_import_and_export():
    """Existing public subpackages import, and their ``__all__`` names exist."""
    assert not PROBLEMS, "\n".join(f"{where}: {problem}" for where, problem in PROBLEMS)


def test_collection_reaches_the_existing_api():
    """Guard against a silently empty parametrisation."""
    paths = {item[0] for item in ITEMS}
    assert "sktime_har.metrics.clustering_accuracy" in paths
    assert "sktime_har.utils.check_windows" in paths
    assert "sktime_har.datasets.make_activity_windows" in paths


def _documented_ok(a, b=1):
    """Add two numbers.

    Parameters
    ----------
    a : int
        First.
    b : int, default=1
        Second.

    Returns
    -------
    total : int
        The sum.

    See Also
    --------
    sum : Built-in.

    Examples
    --------
    >>> _documented_ok(1)
    2
    """
    return a + b


def _documented_badly(a, c):
    """adds numbers

    Parameters
    ----------
    a : int
        First.
    b : int
        Not in the signature.
    """
    return a + c


def test_validator_flags_bad_docstrings():
    """The checks bite: a sloppy docstring fails, a complete one passes."""
    assert numpydoc_errors(_documented_ok) == []
    codes = {e.split(":")[0] for e in numpydoc_errors(_documented_badly)}
    assert {"SS02", "SS03", "PR01", "PR02", "RT01", "SA01", "EX01"} <= codes


def test_shared_texts_fill_in_and_unknown_markers_are_refused():
    from sktime_har.utils._docstrings import fill_doc

    @fill_doc
    def cited():
        """Summary.

        References
        ----------
        .. [1] %(cite_dec)s, Eq. 2.
        """

    assert '"Unsupervised Deep Embedding for\n' in cited.__doc__
    assert cited.__doc__.rstrip().endswith("ICML 2016, Eq. 2.")

    def misspelt():
        """See %(cite_dcs)s."""

    with pytest.raises(ValueError, match="cite_dcs"):
        fill_doc(misspelt)
