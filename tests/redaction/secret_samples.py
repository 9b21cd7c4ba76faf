"""Secrets of real shape for the redaction tests, built at run time.

None of them is written whole in any source file: the no-false-alarm test scans this
repository, and a literal key here would be a finding there. Each is joined from parts
that no pattern matches alone.
"""

from __future__ import annotations

ANTHROPIC_KEY = "sk-" + "ant-api03-" + "Qm9vN2xLa1p3R3hZc0VtVGJ4UnpKcFd0dUhrY2Vn-9QwE"
OPENAI_KEY = "sk-" + "T3BlbkFJq7WvRk2Lm9XzQp4YbN8cHs1DeF5gUj6A"
OPENAI_PROJECT_KEY = "sk-" + "proj-" + "Zx81LqW0vNb3Tm5Rk7YpHs2CdGf9JaQeXu4Ko6Vi"
AWS_KEY = "AKIA" + "Q3EGRIIKQ4ZQ7VXA"
AWS_TEMPORARY_KEY = "ASIA" + "Y7KD2NW9RB4LQ3TF"
GITHUB_TOKEN = "ghp" + "_" + "R8mX2kQ9vL4tN7bW1cZ5yH3jF6dS0pA8gE2u"
GITHUB_OAUTH = "gho" + "_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
GITHUB_PAT = "github" + "_pat_" + "11ABCDE2Y0qWk9LmN3xZpR_7tVb4Hs8JdF2gQ6cKe1WuYo5Ta9PiMn3Lr0Xz"
SLACK_TOKEN = "xox" + "b-" + "2849173650-4918273645012-Qw7ErT9yUi2OpAs5DfGh"
GOOGLE_KEY = "AI" + "za" + "SyD4x9Qm2LpVb7Nc0Rt5Wk8Hj3Fg6Ys1E-Z"
PRIVATE_KEY = (
    "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACBq8Hk3xVq2mZ9Lw4Rt7Yp1Nc6Bd0Fs5Gj8Kh2Xv3TzAAAAJgPq0sW\n"
    "-----END " + "OPENSSH PRIVATE KEY-----"
)
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    + "."
    + "eyJzdWIiOiI0MjEiLCJuYW1lIjoiUm9iaW4iLCJpYXQiOjE3MzMwMDAwMDB9"
    + "."
    + "Xq7_Lm2pWv9Rk4Tn8Ys1Bc6Hd3Jf0Ga5Ke2Uo7Iz9A"
)
BEARER = "Mz7Qp" + "x2LwR9vKt4NbY8cHs1Df"
VISA = "4539" + "1488" + "0343" + "6467"
AMEX = "3782" + "8224" + "6310" + "005"
PW_VALUE = "Tr0ub4" + "dor&3x"  # (not named like a password: see the module docstring)
