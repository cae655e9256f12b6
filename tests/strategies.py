"""Hypothesis strategies for valid scenario inputs, shared by the property, handout and fuzz tests."""

from hypothesis import strategies as st

import sdm
from sdm.engine.scenario import Goal
from sdm.evidence.models import Location, Tier

BASE = sdm.default()
CHEST = sorted(BASE.rules.bleeding.chest_factors)
VTE = sorted(BASE.rules.bleeding.vte_bleed_weights)
CIS = sorted(c.id for c in BASE.rules.contraindications)

# Everything but the bleeding input; the goals are any order of any subset.
scenario_fields = st.fixed_dictionaries(
    {
        "location": st.sampled_from([loc.value for loc in Location]),
        "symptom_days": st.integers(0, BASE.rules.max_symptom_days),
        "contraindications": st.lists(st.sampled_from(CIS), unique=True, max_size=len(CIS)).map(tuple),
        "limb_threatening": st.booleans(),
        "iliac_compression": st.booleans(),
        "age": st.none() | st.integers(0, 120),
        "goals": st.lists(st.sampled_from([g.value for g in Goal]), unique=True, max_size=len(Goal)).map(tuple),
    }
)
# A bleeding tier, or the two checklists (never both).
bleeding_fields = st.one_of(
    st.fixed_dictionaries({"bleeding_tier": st.sampled_from([t.value for t in Tier])}),
    st.fixed_dictionaries(
        {
            "chest_factors": st.lists(st.sampled_from(CHEST), unique=True, max_size=len(CHEST)).map(tuple),
            "vte_bleed_factors": st.lists(st.sampled_from(VTE), unique=True, max_size=len(VTE)).map(tuple),
        }
    ),
)
