"""States and counties by FIPS code: the places the data, weather and closings desks share."""

from django.db import models

from newscast.core.states import US_STATES

# JHU CSSE's convention: 900 + state FIPS is the state's "Unassigned" bucket (90028 for MS).
UNASSIGNED_BASE = 90000


class State(models.Model):
    """A US state (or DC), keyed by its FIPS code as a number (Mississippi is 28)."""

    id = models.PositiveSmallIntegerField(primary_key=True, help_text="State FIPS code.")
    postal_code = models.CharField(max_length=2, unique=True, choices=US_STATES)
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        db_table = "datadesk_state"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def fips(self) -> str:
        return f"{self.id:02d}"


class County(models.Model):
    """A county or county equivalent, keyed by its 5-digit FIPS code as a number.

    Each state also has an Unassigned bucket (id 900 + state FIPS) for rows that name no
    county ("Unknown", "Unassigned", "Out of MS"); it has no population and is listed last.
    """

    id = models.PositiveIntegerField(primary_key=True, help_text="County FIPS code.")
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="counties")
    name = models.CharField(max_length=80, help_text='Short name, as readers say it: "Lee".')
    full_name = models.CharField(max_length=100, help_text='Census name: "Lee County".')
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Census resident population estimate, July 1, 2019."
    )
    is_unassigned = models.BooleanField(default=False)

    class Meta:
        db_table = "datadesk_county"
        ordering = ["state", "is_unassigned", "name"]
        verbose_name_plural = "counties"

    def __str__(self):
        return f"{self.full_name}, {self.state.postal_code}"

    @property
    def fips(self) -> str:
        return f"{self.id:05d}"
