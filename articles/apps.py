from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from articles.models import Story
        from articles.state import forget_story_on_save

        # Any change to a story, however it is made, gives its reader pages a new state.
        post_save.connect(forget_story_on_save, sender=Story, dispatch_uid="forget-story-state")
        post_delete.connect(forget_story_on_save, sender=Story, dispatch_uid="forget-story-gone")
