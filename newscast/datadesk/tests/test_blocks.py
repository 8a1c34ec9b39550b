"""The story body block that embeds a state's table, chart or map."""

from newscast.datadesk.blocks import DataEmbedBlock


def render(dataset, display, state="MS"):
    block = DataEmbedBlock()
    value = block.to_python({"dataset": dataset.pk, "state": state, "display": display})
    return block.render(value)


def test_embed_table(station, loaded):
    html = render(loaded, "table")
    assert "Mississippi Coronavirus Cases" in html
    assert "Figures as of Apr 12, 2020" in html
    assert html.index(">Hinds<") < html.index(">Lee<") < html.index(">Unassigned<")


def test_embed_chart_and_map(station, loaded):
    assert '<svg class="chart"' in render(loaded, "chart")
    assert '<svg class="county-map"' in render(loaded, "map", state="AL")


def test_embed_without_figures(station, loaded):
    assert "No coronavirus cases figures for Texas yet." in render(loaded, "table", state="TX")
