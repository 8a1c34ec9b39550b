"""A story body block that embeds a state's table, chart or map from the data desk."""

from __future__ import annotations

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from newscast.core.states import US_STATES
from newscast.datadesk import selectors
from newscast.datadesk.charts import daily_chart
from newscast.datadesk.maps import county_map
from newscast.datadesk.tables import table_columns


class DataEmbedBlock(blocks.StructBlock):
    """Choose a dataset, a state and what to show; the figures stay current with each load."""

    dataset = SnippetChooserBlock("datadesk.Dataset")
    state = blocks.ChoiceBlock(choices=US_STATES, default="MS")
    display = blocks.ChoiceBlock(
        choices=[
            ("table", "Totals and county table"),
            ("chart", "Chart of daily new cases"),
            ("map", "County map"),
        ],
        default="table",
    )

    class Meta:
        icon = "table"
        label = "Data table or chart"
        template = "datadesk/blocks/data_embed.html"

    def get_context(self, value, parent_context=None):
        # Reads from the database only (no outside HTTP): the nightly job did the fetching.
        context = super().get_context(value, parent_context)
        dataset, display = value["dataset"], value["display"]
        state = selectors.state_by_code(value["state"])
        context["display"] = display
        if dataset is None or state is None:
            context["table"] = None
            return context
        table = selectors.state_table_for(dataset, state)
        element_id = f"embed-{dataset.slug}-{state.postal_code.lower()}-{display}"
        context.update(table=table, rows=table.rows, columns=table_columns(dataset))
        if display == "chart":
            series = selectors.state_series_for(dataset, state)
            context["chart"] = daily_chart(
                series, state.name, dataset.confirmed_label, chart_id=element_id
            )
        elif display == "map":
            rates = {row.fips: (row.name, row.confirmed_rate) for row in table.rows}
            context["map"] = county_map(state, rates, map_id=element_id)
        return context
