from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "saferhomes.documents"
    verbose_name = "Letters and evidence bundles"
