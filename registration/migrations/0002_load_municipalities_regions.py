import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    Municipality = apps.get_model("registration", "Municipality")
    Region = apps.get_model("registration", "Region")
    with open(DATA / "sweden-municipalities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Municipality.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "county_code": row["county_code"], "county": row["county"]}
            )
    with open(DATA / "sweden-regions.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Region.objects.update_or_create(
                county_code=row["county_code"], defaults={"name": row["name"], "county": row["county"]}
            )


class Migration(migrations.Migration):
    dependencies = [("registration", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
