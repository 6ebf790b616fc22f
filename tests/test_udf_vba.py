"""The VBA that classic xlwings' "Import Functions" writes for lga_xl.udfs, generated on Linux.

Import Functions calls ``xlwings.udfs.generate_vba_wrapper`` for every function
decorated in the UDF module.  That module needs pywin32, so a subprocess stubs
``pythoncom``, ``pywintypes`` and ``win32com.client``, swaps xlwings' no-op
Linux decorators for the classic ones, imports lga_xl.udfs fresh and writes
the VBA module.  This relies on xlwings internals: setup.cfg pins the xlwings
versions it was checked with (0.37.x).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
import xlwings

from lga_xl import udfs

GENERATE = textwrap.dedent("""
    import io, json, sys, types

    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None
    sys.modules["pywintypes"].com_error = type("com_error", (Exception,), {})
    sys.modules["win32com.client"].Dispatch = lambda *args, **kwargs: None

    import xlwings
    import xlwings.udfs as classic

    xlwings.func, xlwings.arg, xlwings.ret = classic.xlfunc, classic.xlarg, classic.xlret
    import lga_xl.udfs as module

    class Workbook:  # the workbook Import Functions writes into
        Name = "council functions.xlsm"

    vba = io.StringIO()
    classic.generate_vba_wrapper("lga_xl.udfs", module, vba, Workbook())
    functions = {name: {"category": f.__xlfunc__["category"], "description": f.__xlfunc__["ret"]["doc"],
                        "args": [{"name": a["name"], "doc": a["doc"], "ndim": a["options"].get("ndim")}
                                 for a in f.__xlfunc__["args"]]}
                 for name, f in vars(module).items() if hasattr(f, "__xlfunc__")}
    print(json.dumps({"vba": vba.getvalue(), "functions": functions}))
""")

EXPECTED_SIGNATURES = {
    "MATURITY_RATING": "levels, statuses, Optional strands, Optional strand",
    "MATURITY_SCORE": "levels, statuses, Optional strands, Optional strand",
    "RATING_SCORE": "label",
    "SCORE_RATING": "score",
    "LEVY_DUE": "pay_bill",
    "LEVY_FUNDS_IN": "levy, english_percent, Optional entered_on",
    "TRANSFER_ALLOWANCE": "previous_year_funds, Optional rate_or_date",
    "TRANSFER_HEADROOM": "previous_year_funds, committed, Optional rate_or_date",
    "PUBLIC_SECTOR_TARGET": "headcount",
    "TARGET_TRAJECTORY": "baseline, baseline_date, target, target_date, on_date",
    "TARGET_RAG": "latest, expected, baseline, target, Optional direction, Optional amber_within",
    "STANDARD_FOR_ROLE": "job_title, standards_range",
}
RANGE_ARGUMENTS = {"levels", "statuses", "strands", "standards_range"}

# VBA keywords and built-in names that cannot be argument names (a parameter
# called "date" would break the imported module).
VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency", "date", "debug",
    "decimal", "dim", "do", "double", "each", "else", "empty", "end", "enum", "erase", "error", "event",
    "exit", "false", "for", "friend", "function", "get", "global", "gosub", "goto", "if", "implements", "in",
    "integer", "is", "let", "like", "long", "loop", "me", "mod", "name", "new", "next", "not", "nothing",
    "null", "object", "on", "open", "option", "optional", "or", "paramarray", "preserve", "private",
    "property", "public", "raiseevent", "redim", "rem", "resume", "return", "select", "set", "single",
    "static", "step", "stop", "string", "sub", "then", "to", "true", "type", "until", "variant", "wend",
    "while", "with", "xor",
}


@pytest.fixture(scope="module")
def generated() -> dict:
    result = subprocess.run([sys.executable, "-c", GENERATE], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pinned_xlwings_is_the_one_installed():
    assert xlwings.__version__.startswith("0.37."), "re-check this test against the new xlwings, then move the pin"


def test_import_functions_writes_one_vba_function_per_udf_with_its_arguments(generated):
    declared = dict(re.findall(r"^Function (\w+)\((.*)\)$", generated["vba"], flags=re.M))
    assert declared == EXPECTED_SIGNATURES
    assert "Sub " not in generated["vba"]  # validate_active_workbook is a macro, not a function
    assert set(declared) == set(udfs.__all__) - {"UdfInputError"}


def test_each_vba_function_calls_its_python_function_and_shows_errors_in_the_cell(generated):
    vba = generated["vba"]
    for name, signature in EXPECTED_SIGNATURES.items():
        arguments = signature.replace("Optional ", "")
        call = (f'{name} = XLPy.CallUDF("lga_xl.udfs", "{name}", Array({arguments}), ThisWorkbook, '
                "Application.Caller)")
        assert call in vba, name
        # classic xlwings writes an exception's description into the calling cell
        assert f"failed:\n    {name} = Err.Description\nEnd Function" in vba, name
    assert len(re.findall(r"^Function ", vba, flags=re.M)) == len(re.findall(r"^End Function$", vba, flags=re.M))


def test_argument_names_are_legal_in_vba(generated):
    for name, function in generated["functions"].items():
        for argument in function["args"]:
            assert argument["name"].lower() not in VBA_RESERVED, (name, argument["name"])
            assert re.fullmatch(r"[a-z][a-z_]*", argument["name"]), (name, argument["name"])


def test_function_wizard_descriptions(generated):
    """Excel's Insert Function dialog shows the category, the docstring and each argument's doc."""
    for name, function in generated["functions"].items():
        assert function["category"] == "lga_xl"
        # MacroOptions keeps 255 characters: the whole description must fit
        assert len(function["description"]) <= 255, name
        assert f"={name}(" in function["description"], name
        for argument in function["args"]:
            assert not argument["doc"].startswith("Positional argument"), (name, argument["name"])
            assert len(argument["doc"]) <= 255
            assert argument["ndim"] == (2 if argument["name"] in RANGE_ARGUMENTS else None), argument
