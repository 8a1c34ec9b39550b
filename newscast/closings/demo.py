"""Demo organizations: fictional schools, offices, churches and businesses in the demo
station's counties (northeast Mississippi). Every one is marked as sample and shown so.

No status is loaded: `newscast closings drill` plays a storm evening onto the board.
Every sample organization's PIN is DEMO_PIN, for trying the public form.
"""

from __future__ import annotations

from newscast.closings.models import Organization, OrganizationKind
from newscast.closings.services import pin_set
from newscast.core.geography.reference import geography_ensure
from newscast.core.models import County

DEMO_PIN = "2468"
MISSISSIPPI = 28
K = OrganizationKind
# (code, name, county, kind) - all names are made up for the demo.
SAMPLE_ORGANIZATIONS = [
    ("LEE-001", "Cedar Bend School District", "Lee", K.PUBLIC_SCHOOLS),
    ("LEE-002", "Harmony Hill Academy", "Lee", K.PRIVATE_SCHOOL),
    ("LEE-003", "Northgate Community College, Tupelo campus", "Lee", K.COLLEGE),
    ("LEE-004", "Cedar Bend Municipal Offices", "Lee", K.GOVERNMENT),
    ("LEE-005", "Old Mill Road Baptist Church", "Lee", K.CHURCH),
    ("LEE-006", "Sixth Street Senior Center", "Lee", K.OTHER),
    ("LEE-007", "Pinecrest Furniture Works", "Lee", K.BUSINESS),
    ("LEE-008", "Saint Brendan's Day School", "Lee", K.PRIVATE_SCHOOL),
    ("PON-001", "Twin Oaks School District", "Pontotoc", K.PUBLIC_SCHOOLS),
    ("PON-002", "Twin Oaks Town Hall", "Pontotoc", K.GOVERNMENT),
    ("PON-003", "Sweetgum Methodist Church", "Pontotoc", K.CHURCH),
    ("PON-004", "Blue Heron Poultry Plant", "Pontotoc", K.BUSINESS),
    ("UNI-001", "Bramble Creek Schools", "Union", K.PUBLIC_SCHOOLS),
    ("UNI-002", "Kettle Creek Early Start Center", "Union", K.OTHER),
    ("UNI-003", "Hollow Ridge Christian School", "Union", K.PRIVATE_SCHOOL),
    ("ITA-001", "Fulton Valley School District", "Itawamba", K.PUBLIC_SCHOOLS),
    ("ITA-002", "Tombigbee Technical Institute", "Itawamba", K.COLLEGE),
    ("ITA-003", "Fulton Valley Water Office", "Itawamba", K.GOVERNMENT),
    ("PRE-001", "Booneville Flats School District", "Prentiss", K.PUBLIC_SCHOOLS),
    ("PRE-002", "Wheeler Grove Church of God", "Prentiss", K.CHURCH),
    ("MON-001", "Amory Bend Schools", "Monroe", K.PUBLIC_SCHOOLS),
    ("MON-002", "Amory Bend Public Library", "Monroe", K.GOVERNMENT),
    ("MON-003", "Riverbirch Textile Co.", "Monroe", K.BUSINESS),
    ("CHI-001", "Houlka Plains School District", "Chickasaw", K.PUBLIC_SCHOOLS),
    ("CHI-002", "Okolona Street Clinic", "Chickasaw", K.OTHER),
    ("LOW-001", "Columbus Crossing Schools", "Lowndes", K.PUBLIC_SCHOOLS),
    ("LOW-002", "Magnolia State College of Nursing", "Lowndes", K.COLLEGE),
    ("LOW-003", "Columbus Crossing City Hall", "Lowndes", K.GOVERNMENT),
    ("OKT-001", "Starkville Meadow School District", "Oktibbeha", K.PUBLIC_SCHOOLS),
    ("OKT-002", "Maroon Bell Early Learning Center", "Oktibbeha", K.PRIVATE_SCHOOL),
    ("LAF-001", "Oxford Hills School District", "Lafayette", K.PUBLIC_SCHOOLS),
    ("LAF-002", "Yocona Bottom Presbyterian Church", "Lafayette", K.CHURCH),
]
# Organizations whose own reports wait for an editor in the demo, to show approvals.
NEEDS_APPROVAL = {"LEE-007", "PON-004"}


def organizations_ensure() -> int:
    """Create the missing sample organizations; returns how many were created."""
    geography_ensure()
    counties = {county.name: county.pk for county in County.objects.filter(state_id=MISSISSIPPI)}
    existing = set(Organization.objects.values_list("code", flat=True))
    created = []
    for code, name, county, kind in SAMPLE_ORGANIZATIONS:
        if code in existing:
            continue
        organization = Organization(
            code=code,
            name=name,
            county_id=counties[county],
            kind=kind,
            contact="Sample contact (fictional)",
            needs_approval=code in NEEDS_APPROVAL,
            is_sample=True,
        )
        pin_set(organization, DEMO_PIN)
        created.append(organization)
    Organization.objects.bulk_create(created)
    return len(created)


def load(stdout) -> None:
    """Fill the closings desk's sample organizations, unless any organization exists."""
    if Organization.objects.exists():
        return
    created = organizations_ensure()
    stdout.write(
        f"Closings: {created} sample organizations (PIN {DEMO_PIN}); "
        "`newscast closings drill` plays a storm evening."
    )
