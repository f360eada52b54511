"""Access rows for the workshop API (see core.testing): every endpoint, every role."""
from core.testing import Row, allowed_from

OPERATOR_ONLY = allowed_from("operator")
MEMBER_UP = allowed_from("member")

ACCESS = [
    Row("GET", "/api/system/status/", OPERATOR_ONLY),
]

ACCESS += [
    Row("POST", "/api/voice/commands/", MEMBER_UP, body={"text": "how much unobtainium is left"}),
]
