"""Who may follow the projects app's websocket topics."""
from core.parsing import as_id


def may_follow_project(user, arg) -> bool:
    """Topic ``project:<id>``: whoever may see the project (members, its team, operators)."""
    from .queries import visible_projects

    project_id = as_id(arg)
    return project_id is not None and visible_projects(user).filter(pk=project_id).exists()


def may_follow_team(user, arg) -> bool:
    """Topic ``team:<id>``: the team's members and operators."""
    from .queries import visible_teams

    team_id = as_id(arg)
    return team_id is not None and visible_teams(user).filter(pk=team_id).exists()
