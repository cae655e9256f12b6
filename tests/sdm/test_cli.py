import json
import shutil
import subprocess
import sys
from itertools import product

import yaml

from sdm.evidence import loader as evidence
from sdm.outputs.cli import main

LOCATIONS = ["distal", "femoropopliteal", "iliofemoral", "iliocaval"]


def test_scenario_json_answers_the_whole_grid(capsys):
    for loc, days, tier, limb in product(LOCATIONS, (3, 10, 18, 40), ("low", "moderate", "high"), (False, True)):
        argv = ["scenario", "--location", loc, "--days", str(days), "--bleeding", tier, "--json"]
        assert main(argv + (["--limb-threatening"] if limb else [])) == 0
        out = json.loads(capsys.readouterr().out)
        assert set(out) >= {"scenario", "options", "guidelines", "warnings"}
        assert len(out["options"]) == 5
        for opt in out["options"]:
            assert opt["status"] in {"studied", "one_group", "indirect", "no_evidence", "contraindicated"}
            for o in opt["outcomes"]:
                assert {"id", "horizon", "risk", "risk_low", "risk_high", "comparator_risk", "certainty",
                        "applicability", "source_ids", "finding"} <= set(o)


def test_readable_table(capsys):
    assert main(["scenario", "--location", "iliofemoral", "--days", "7", "--bleeding", "low",
                 "--goals", "fast_relief,avoid_bleeding"]) == 0
    out = capsys.readouterr().out
    assert "PCDT" in out and "in 100" in out and "Not a recommendation" in out


def test_invalid_input_names_field_and_allowed_values(capsys):
    assert main(["scenario", "--location", "calf", "--days", "7"]) == 2
    err = capsys.readouterr().err
    assert "location" in err and "iliofemoral" in err


def test_unknown_goal_is_rejected(capsys):
    assert main(["scenario", "--location", "distal", "--days", "7", "--goals", "win"]) == 2
    assert "goals" in capsys.readouterr().err


def test_evidence_dump(capsys):
    assert main(["evidence", "--json"]) == 0
    dump = json.loads(capsys.readouterr().out)
    assert {"sources", "estimates", "findings", "gaps", "guidelines"} <= set(dump)


def test_validate_corrupted_copy_exits_nonzero_and_names_the_problem(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(evidence.DEFAULT_DATA_DIR, folder)
    path = folder / "sources.yaml"
    records = yaml.safe_load(path.read_text())
    records[1]["population"]["locations"] = ["knee"]
    path.write_text(yaml.safe_dump(records))
    proc = subprocess.run([sys.executable, "-m", "sdm", "validate", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "sources.yaml" in proc.stderr and records[1]["id"] in proc.stderr
    assert "population.locations.0" in proc.stderr


def test_validate_clean_data():
    proc = subprocess.run([sys.executable, "-m", "sdm", "validate"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OK:")
