"""A URL map of small views, one per caching case, for test_stack_cachecontrol.py."""

from django.http import HttpResponse
from django.urls import include, path

from newscast.core.cachecontrol import keep_at_edge


def public_page(request):
    return HttpResponse("<p>Tornado warning for Lee County</p>")


def news_page(request):
    # Long enough for GZipMiddleware (it leaves bodies under 200 bytes alone).
    return HttpResponse("<p>County road reopens after storm cleanup.</p>" * 40)


def page_with_form(request):
    response = HttpResponse("<form>...</form>")
    response.set_cookie("csrftoken", "abc")
    return response


def feed(request):
    response = HttpResponse("<rss/>")
    response["Cache-Control"] = "public, max-age=300"
    return response


def broken(request):
    return HttpResponse("upstream trouble", status=502)


def inline_script(request):
    return HttpResponse("<!doctype html><title>t</title><script>document.title = 'x'</script>")


def preview(request):
    request.is_preview = True
    return HttpResponse("draft")


urlpatterns = [
    path("story/", public_page),
    path("news/", keep_at_edge(news_page)),
    path("news-gone/", keep_at_edge(lambda request: HttpResponse("gone", status=404))),
    path("contact/", page_with_form),
    path("feed/", feed),
    path("broken/", broken),
    path("preview/", preview),
    path("inline-script/", inline_script),
    path("admin/ping/", public_page),
    path("", include("newscast.core.urls")),
]
