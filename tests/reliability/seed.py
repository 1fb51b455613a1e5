"""Players for a drill, made inside the stack's own settings (tests/reliability/stack.py):

    python -m tests.reliability.seed PAIRS

prints one JSON line: for each pair a waiting ranked challenge and both players' API tokens.
No passwords: hashing them would take longer than the drill."""

from __future__ import annotations

import json
import sys
import uuid


def main(pairs: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from apps.accounts.services import token_create
    from apps.matches.services import challenge_create

    users = get_user_model().objects
    stamp = uuid.uuid4().hex[:6]
    out = []
    for i in range(pairs):
        a = users.create_user(f"drill{stamp}a{i}")
        b = users.create_user(f"drill{stamp}b{i}")
        match = challenge_create(user=a, ranked=True)
        out.append({"match": str(match.public_id), "code": match.challenge_code,
                    "a": token_create(user=a)[1], "b": token_create(user=b)[1]})
    print(json.dumps(out))


if __name__ == "__main__":
    main(int(sys.argv[1]))
