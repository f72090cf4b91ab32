"""docs/figures-format.schema.json: its enums are the models' choices, it says what the
API's OpenAPI document says of the file, and it refuses what the format does not allow."""

import copy
import json
from pathlib import Path

import jsonschema_rs
from django.conf import settings
from django.test import SimpleTestCase

from daotao.api.api import api
from daotao.cohorts.models import Funding, Mode
from daotao.grading.rules import BAND_CODE
from daotao.national.package import FORMAT
from daotao.org.models import UnitKind
from daotao.programs.models import ProgramKind, ReportCategory
from daotao.reports.engine import RELATIONS
from daotao.surveys.models import CareerEventKind

SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "figures-format.schema.json"

# A valid file: one of everything.
VALID = {
    "package": {
        "format": "daotao-figures/1",
        "school": {"name": "Trường Chính trị tỉnh Bình An", "province": "Bình An", "key_id": "d9cfb001c75150bd"},
        "period": {"from": "2020-01-01", "to": "2020-12-31"},
        "created_at": "2026-12-05T10:00:00Z",
        "programs": [{"code": "TC-LLCT-HC", "name": "Trung cấp", "kind": "training", "category": "political_theory"}],
        "localities": [{"code": "H01", "name": "Thành phố Bình An", "kind": "district", "parent": "BA"}],
        "lines": [
            {"relation": "opened", "program": "TC-LLCT-HC", "mode": None, "funding": None, "locality": None,
             "classes": 13, "students": 1040},
            {"relation": "opened", "program": "TC-LLCT-HC", "mode": "non_concentrated", "funding": "supported",
             "locality": "H01", "classes": 1, "students": 82},
        ],
        "quota": [{"year": 2020, "planned": 160, "achieved": 161, "lines": [
            {"locality": "H01", "locality_name": "Thành phố Bình An", "program": "TC-LLCT-HC",
             "funding": "supported", "planned": 80, "achieved": 82},
        ]}],
        "graduation": [{"program": "TC-LLCT-HC", "graduates": 29,
                        "bands": [{"band": "excellent", "label": "Xuất sắc", "count": 1}]}],
        "evaluation": [{"year": 2020, "classes": 58, "evaluated": 12, "evaluated_learners": 6,
                        "evaluated_after": 1}],
        "careers": [{"kind": "appointment", "label": "Bổ nhiệm", "count": 3}],
    },
    "signature": {"algorithm": "Ed25519", "key_id": "d9cfb001c75150bd", "value": "A" * 86 + "=="},
}  # fmt: skip


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def shape(schema: dict, root: dict, refs: str) -> dict | None:
    """The properties of an object schema as a tree ({name: (required, its shape)}), items of
    arrays followed, ``$ref`` resolved (``refs``: where the document keeps its definitions);
    None for a value that is not an object."""
    if "$ref" in schema:
        return shape(root[refs][schema["$ref"].rsplit("/", 1)[1]], root, refs)
    if "anyOf" in schema:
        shapes = [shape(option, root, refs) for option in schema["anyOf"]]
        return next((found for found in shapes if found is not None), None)
    if schema.get("type") == "array":
        return {"[]": (True, shape(schema["items"], root, refs))}
    if "properties" in schema:
        required = set(schema.get("required", ()))
        return {name: (name in required, shape(value, root, refs)) for name, value in schema["properties"].items()}
    return None


def enums(schema: dict) -> dict[str, list]:
    return {name: definition["enum"] for name, definition in schema["$defs"].items() if "enum" in definition}


class SchemaTests(SimpleTestCase):
    def setUp(self):
        self.schema = load_schema()
        self.validator = jsonschema_rs.validator_for(self.schema)

    def test_draft_2020_12(self):
        self.assertEqual(self.schema["$schema"], "https://json-schema.org/draft/2020-12/schema")
        self.assertEqual(self.schema["$defs"]["package"]["properties"]["format"], {"const": FORMAT})

    def test_enums_are_the_models_choices(self):
        self.assertEqual(
            enums(self.schema),
            {
                "relation": list(RELATIONS),
                "mode": Mode.values,
                "funding": Funding.values,
                "program_kind": ProgramKind.values,
                "program_category": ReportCategory.values,
                "unit_kind": UnitKind.values,
                "career_kind": CareerEventKind.values,
            },
        )
        self.assertEqual(self.schema["$defs"]["band"]["pattern"], BAND_CODE.pattern)

    def test_the_api_describes_the_same_file(self):
        document = json.loads(json.dumps(api.get_openapi_schema(), default=str))
        components = {"components": document["components"]["schemas"]}
        theirs = shape(
            document["paths"]["/api/v1/figures"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            components,
            "components",
        )
        self.assertEqual(theirs, shape(self.schema, self.schema, "$defs"))

    def test_a_valid_file(self):
        self.assertEqual([error.message for error in self.validator.iter_errors(VALID)], [])

    def test_what_the_format_refuses(self):
        changes = {
            # (1040.0 is an integer to JSON Schema; the signature refuses any float: lib/signing.)
            "a fraction": lambda f: f["package"]["lines"][0].update(students=1040.5),
            "a share": lambda f: f["package"]["quota"][0].update(ratio=1.00625),
            "an unknown field": lambda f: f["package"].update(comment="x"),
            "a student's name": lambda f: f["package"]["graduation"][0].update(names=["Trần Thị Lan"]),
            "a missing field": lambda f: f["package"]["lines"][0].pop("locality"),
            "an unknown relation": lambda f: f["package"]["lines"][0].update(relation="enrolled"),
            "an unknown mode": lambda f: f["package"]["lines"][1].update(mode="online"),
            "a line without classes": lambda f: f["package"]["lines"][1].update(classes=0),
            "a negative count": lambda f: f["package"]["careers"][0].update(count=-1),
            "another format": lambda f: f["package"].update(format="daotao-figures/2"),
            "a date as people write it": lambda f: f["package"]["period"].update(to="31/12/2020"),
            "a short signature": lambda f: f["signature"].update(value="AAAA"),
            "another algorithm": lambda f: f["signature"].update(algorithm="RSA"),
            "a key id in capitals": lambda f: f["package"]["school"].update(key_id="D9CFB001C75150BD"),
            "a band code with a space": lambda f: f["package"]["graduation"][0]["bands"][0].update(band="xuat sac"),
        }
        for name, change in changes.items():
            document = copy.deepcopy(VALID)
            change(document)
            with self.subTest(name):
                self.assertFalse(self.validator.is_valid(document))
