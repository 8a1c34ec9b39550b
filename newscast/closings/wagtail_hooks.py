"""Admin: a "Closings desk" menu with the Storm desk screen, organizations and the history."""

from django import forms
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from newscast.closings import admin_views
from newscast.closings.models import Organization, StatusChange
from newscast.closings.services import PIN_PATTERN, pin_set


class OrganizationForm(WagtailAdminModelForm):
    """The organization's fields plus a new PIN (stored hashed, never shown again)."""

    new_pin = forms.CharField(
        label="New PIN",
        required=False,
        max_length=8,
        help_text="4 to 8 digits, given to the organization for the public form. Leave blank "
        "to keep the current PIN.",
    )

    def clean_new_pin(self):
        pin = self.cleaned_data["new_pin"].strip()
        if pin and not PIN_PATTERN.match(pin):
            raise forms.ValidationError("A PIN is 4 to 8 digits.")
        if not pin and not (self.instance and self.instance.pin_hash):
            raise forms.ValidationError("A new organization needs a PIN.")
        return pin

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def save(self, commit=True):
        if self.cleaned_data.get("new_pin"):
            pin_set(self.instance, self.cleaned_data["new_pin"])
        return super().save(commit)


class OrganizationViewSet(ModelViewSet):
    model = Organization
    icon = "group"
    menu_label = "Organizations"
    url_prefix = "closings/organizations"
    url_namespace = "closings_organizations"
    list_display = ["name", "county", "kind", "code", "needs_approval", "is_sample"]
    list_filter = ["kind", "needs_approval", "is_sample"]
    search_fields = ["name", "code", "contact"]
    search_backend_name = None  # a plain database filter
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("county"),
            FieldPanel("kind"),
            FieldPanel("contact"),
            FieldPanel("code"),
            FieldPanel("new_pin"),
            FieldPanel("needs_approval"),
        ],
        base_form_class=OrganizationForm,
    )


class HistoryPolicy(ModelPermissionPolicy):
    """The history is written by the desk's services only; editors may read it."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return user.is_active and (user.is_superuser or user.has_perm("closings.view_statuschange"))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class StatusChangeViewSet(ModelViewSet):
    model = StatusChange
    icon = "history"
    menu_label = "Status history"
    url_prefix = "closings/history"
    url_namespace = "closings_history"
    list_display = ["changed_at", "organization", "date", "kind", "delay_minutes", "outcome", "via",
                    "changed_by"]  # fmt: skip
    list_filter = ["outcome", "via", "date"]
    search_fields = ["organization__name", "organization__code", "note"]
    search_backend_name = None
    inspect_view_enabled = True
    panels = [FieldPanel("note")]


class StormDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.CAN_SET)


class ClosingsDeskGroup(ViewSetGroup):
    menu_label = "Closings desk"
    menu_icon = "warning"
    menu_order = 290
    items = [OrganizationViewSet, StatusChangeViewSet]

    def get_submenu_items(self):
        desk = StormDeskMenuItem(
            "Storm desk", reverse("closings_admin_desk"), icon_name="warning", order=0
        )
        return [desk, *super().get_submenu_items()]


register_permission_policy(StatusChange, HistoryPolicy(StatusChange))


@hooks.register("register_admin_viewset")
def register_closings_desk():
    return ClosingsDeskGroup()


@hooks.register("register_admin_urls")
def register_closings_admin_urls():
    return [
        path("closings/", admin_views.desk, name="closings_admin_desk"),
        path("closings/quick-entry/", admin_views.quick_entry, name="closings_admin_quick_entry"),
        path("closings/import/", admin_views.import_csv, name="closings_admin_import"),
        path("closings/review/<int:pk>/", admin_views.review, name="closings_admin_review"),
    ]
