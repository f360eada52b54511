"""Staff pages of the projects app, mounted at ``/projects/``."""
from django.urls import path

from . import board, team_pages, views

urlpatterns = [
    path("", views.project_list, name="board"),
    path("mine/", views.my_tasks, name="my-tasks"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("teams/", team_pages.team_list, name="teams"),
    path("teams/<int:pk>/", team_pages.team_page, name="team"),
    path("teams/<int:pk>/act/<str:what>/", team_pages.team_action, name="team-action"),
    path("<int:pk>/", views.overview, name="project"),
    path("<int:pk>/act/<str:what>/", views.project_action, name="project-action"),
    path("<int:pk>/board/", board.board, name="kanban"),
    path("<int:pk>/board/columns/", board.columns, name="kanban-columns"),
    path("<int:pk>/tasks/<int:task_id>/", board.task_page, name="task"),
    path("<int:pk>/tasks/<int:task_id>/act/<str:what>/", board.task_action, name="task-action"),
    path("<int:pk>/files/<int:file_id>/preview/", views.preview, name="preview"),
]
