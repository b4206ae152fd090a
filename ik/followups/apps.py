from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "ik.followups"
    label = "followups"
    verbose_name = "Uppföljningar"
