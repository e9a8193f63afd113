"""The "Editors" group: its members may publish and retract revisions."""

from django.db import migrations


def create_editors(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally created after migrate; this one is needed now.
    content_type, _ = ContentType.objects.get_or_create(app_label="articles", model="revision")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="add_revision", defaults={"name": "Can add revision"}
    )
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(permission)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_auditentry"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
