from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from programmes.views import mine, participants, programmes, topics

P = "programmes/<uuid:programme_id>/"

# Tenant URLs of this app; mounted under /o/<org_slug>/ by config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    # Topic catalogue and resource library (HR admins), library and files (members).
    path("topics/", topics.topic_list_view, name="topic-list"),
    path("topics/new/", topics.topic_create_view, name="topic-create"),
    path("topics/<uuid:topic_id>/", topics.topic_detail_view, name="topic-detail"),
    path("topics/<uuid:topic_id>/edit/", topics.topic_update_view, name="topic-update"),
    path("topics/<uuid:topic_id>/archive/", topics.topic_archive_view, name="topic-archive"),
    path("topics/<uuid:topic_id>/delete/", topics.topic_delete_view, name="topic-delete"),
    path(
        "topics/<uuid:topic_id>/resources/new/",
        topics.resource_create_view,
        name="topic-resource-create",
    ),
    path("resources/", topics.resource_list_view, name="resource-list"),
    path("resources/<uuid:resource_id>/edit/", topics.resource_update_view, name="resource-update"),
    path(
        "resources/<uuid:resource_id>/delete/",
        topics.resource_delete_view,
        name="resource-delete",
    ),
    path("resources/<uuid:resource_id>/file/", topics.resource_file_view, name="resource-file"),
    # Programmes (HR admins).
    path("programmes/", programmes.programme_list_view, name="programme-list"),
    path("programmes/new/", programmes.programme_create_view, name="programme-create"),
    path(P, programmes.programme_detail_view, name="programme-detail"),
    path(P + "edit/", programmes.programme_update_view, name="programme-update"),
    path(P + "transition/", programmes.programme_transition_view, name="programme-transition"),
    path(P + "training/", programmes.programme_training_view, name="programme-training"),
    path(
        P + "training/<uuid:step_id>/edit/",
        programmes.programme_training_step_update_view,
        name="programme-training-step-update",
    ),
    path(
        P + "training/<uuid:step_id>/move/",
        programmes.programme_training_step_move_view,
        name="programme-training-step-move",
    ),
    path(
        P + "training/<uuid:step_id>/delete/",
        programmes.programme_training_step_delete_view,
        name="programme-training-step-delete",
    ),
    path(P + "invite/", participants.programme_invite_view, name="programme-invite"),
    path(
        P + "participants/",
        participants.participant_list_view,
        name="programme-participant-list",
    ),
    path(
        P + "participants.csv",
        participants.participant_export_view,
        name="programme-participant-export",
    ),
    path(
        P + "participants/<uuid:participant_id>/",
        participants.participant_review_view,
        name="programme-participant-review",
    ),
    path(
        P + "participants/<uuid:participant_id>/resend/",
        participants.participant_invitation_resend_view,
        name="programme-participant-resend",
    ),
    # A member's own participations.
    path("my/programmes/", mine.my_programmes_view, name="my-programmes"),
    path(
        "participations/<uuid:participant_id>/",
        mine.participant_detail_view,
        name="participant-detail",
    ),
    path(
        "participations/<uuid:participant_id>/enrol/",
        mine.participant_enrol_view,
        name="participant-enrol",
    ),
    path(
        "participations/<uuid:participant_id>/training/",
        mine.participant_training_view,
        name="participant-training",
    ),
    path(
        "participations/<uuid:participant_id>/training/<uuid:step_id>/done/",
        mine.participant_training_step_done_view,
        name="participant-training-step-done",
    ),
    path(
        "participations/<uuid:participant_id>/withdraw/",
        mine.participant_withdraw_view,
        name="participant-withdraw",
    ),
]
