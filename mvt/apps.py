from django.contrib.admin.apps import AdminConfig


class OrganiserAdminConfig(AdminConfig):
    default_site = "mvt.admin.OrganiserAdminSite"
