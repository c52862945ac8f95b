"""Each code metric on a table of cases (no database), and the parameter checks a scorer's form
runs when it is saved."""

import pytest

from literal_app.services.evaluation import code_metrics
from literal_app.services.evaluation.code_metrics import MetricError, check_params, score
from literal_app.services.kernel.errors import Invalid

SCHEMA = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}

CASES = [  # metric, params, output, expected, (value, label)
    ("exact_match", {}, "Paris", "Paris", (1.0, "pass")),
    ("exact_match", {}, " Paris\n", "Paris", (1.0, "pass")),
    ("exact_match", {}, "paris", "Paris", (0.0, "fail")),
    ("exact_match", {"case_sensitive": False}, "paris", "Paris", (1.0, "pass")),
    ("exact_match", {"value": "42"}, "42", None, (1.0, "pass")),
    ("exact_match", {}, {"content": "Paris"}, {"content": "Paris"}, (1.0, "pass")),
    ("exact_match", {"output_key": "answer.city"}, {"answer": {"city": "Rome"}}, "Rome", (1.0, "pass")),
    ("contains", {"value": "refund"}, "We will refund you.", None, (1.0, "pass")),
    ("contains", {"value": "REFUND", "case_sensitive": False}, "We will refund you.", None, (1.0, "pass")),
    ("contains", {}, "The capital is Paris.", "Paris", (1.0, "pass")),
    ("contains", {"value": "sorry"}, "Here you go.", None, (0.0, "fail")),
    ("not_contains", {"value": "As an AI"}, "As an AI model I cannot", None, (0.0, "fail")),
    ("not_contains", {"value": "As an AI"}, "Sure, here it is.", None, (1.0, "pass")),
    ("regex", {"pattern": r"^\d{3}-\d{4}$"}, "555-1234", None, (1.0, "pass")),
    ("regex", {"pattern": r"^\d{3}-\d{4}$"}, "call 555-1234", None, (0.0, "fail")),
    ("regex", {"pattern": "hello", "ignore_case": True}, "HELLO there", None, (1.0, "pass")),
    ("valid_json", {}, '{"a": [1, 2]}', None, (1.0, "pass")),
    ("valid_json", {}, "{'a': 1}", None, (0.0, "fail")),
    ("valid_json", {}, {"already": "parsed"}, None, (1.0, "pass")),
    ("json_schema", {"schema": SCHEMA}, '{"answer": "yes"}', None, (1.0, "pass")),
    ("json_schema", {"schema": SCHEMA}, '{"answer": 3}', None, (0.0, "fail")),
    ("json_schema", {"schema": SCHEMA}, '{}', None, (0.0, "fail")),
    ("json_schema", {"schema": SCHEMA}, "not json", None, (0.0, "fail")),
    ("similarity", {}, "kitten", "kitten", (1.0, None)),
    ("similarity", {}, "kitten", "sitting", (pytest.approx(1 - 3 / 7, abs=1e-6), None)),
    ("similarity", {"method": "token_set"}, "the quick brown fox", "fox brown quick the", (1.0, None)),
    ("similarity", {"threshold": 0.9}, "abcdef", "abcdex", (pytest.approx(5 / 6, abs=1e-6), "fail")),
    ("similarity", {"case_sensitive": False}, "ABC", "abc", (1.0, None)),
    ("numeric_distance", {}, "10", "7.5", (2.5, None)),
    ("numeric_distance", {"relative": True}, "11", "10", (pytest.approx(0.1), None)),
    ("numeric_distance", {"tolerance": 0.5}, " 3.2 ", "3", (pytest.approx(0.2), "pass")),
    ("numeric_distance", {"value": "100", "tolerance": 1}, "98", None, (2.0, "fail")),
    ("length", {"min": 3, "max": 5}, "abcd", None, (1.0, "pass")),
    ("length", {"max": 3}, "abcd", None, (0.0, "fail")),
    ("length", {"min": 2, "unit": "words"}, "one two three", None, (1.0, "pass")),
    ("length", {"min": 4, "unit": "words"}, "one two three", None, (0.0, "fail")),
]


@pytest.mark.parametrize("metric,params,output,expected,want", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_code_metric(metric, params, output, expected, want):
    value, label, reason = score(metric, check_params(metric, params), output, expected)
    assert (value, label) == want
    assert reason


@pytest.mark.parametrize("metric,params,output,expected,message", [
    ("exact_match", {}, "x", None, "No expected output"),
    ("numeric_distance", {}, "ten", "10", "not a number"),
    ("numeric_distance", {}, "10", "n/a", "not a number"),
])
def test_data_a_metric_cannot_measure_fails_with_a_reason(metric, params, output, expected, message):
    with pytest.raises(MetricError, match=message):
        score(metric, check_params(metric, params), output, expected)


def test_a_pathological_regex_times_out_instead_of_hanging(monkeypatch):
    monkeypatch.setattr(code_metrics, "REGEX_TIMEOUT", 0.05)
    with pytest.raises(MetricError, match="too long"):
        score("regex", check_params("regex", {"pattern": r"(x+x+)+y"}), "x" * 5000)


@pytest.mark.parametrize("metric,params,message", [
    ("python", {}, "Unknown code metric"),
    ("regex", {}, "Enter a regular expression"),
    ("regex", {"pattern": "(unclosed"}, "not valid"),
    ("json_schema", {"schema": "{nope"}, "not valid JSON"),
    ("json_schema", {"schema": {"type": "nonsense"}}, "Not a valid JSON schema"),
    ("json_schema", {}, "must be an object"),
    ("similarity", {"method": "cosine"}, "levenshtein or token_set"),
    ("similarity", {"threshold": "high"}, "must be a number"),
    ("numeric_distance", {"tolerance": -1}, "at least 0"),
    ("length", {}, "Set a minimum or a maximum"),
    ("length", {"min": 5, "max": 2}, "above the maximum"),
    ("length", {"min": 1, "unit": "tokens"}, "characters or words"),
])
def test_bad_parameters_are_refused_when_saved(metric, params, message):
    with pytest.raises(Invalid, match=message):
        check_params(metric, params)


def test_a_json_schema_given_as_text_is_stored_as_an_object():
    assert check_params("json_schema", {"schema": '{"type": "string"}'})["schema"] == {"type": "string"}
