from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name='QueuedMail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.JSONField()),
                ('queued_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name_plural': 'queued mail',
            },
        ),
    ]
