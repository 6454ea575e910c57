"""The command line: every option is documented, errors are messages with exit status 1."""

import argparse
import re

import pytest

from conftest import REPO, cli_for, run_cli


def all_options():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_entry", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    parser = module._parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    yield name, option


@pytest.mark.parametrize("command,option", list(all_options()))
def test_every_option_is_documented_in_the_readme(command, option):
    readme = (REPO / "README.md").read_text()
    row = next(line for line in readme.splitlines() if line.startswith(f"| `python build.py {command}"))
    assert f"`{option}" in row, f"{command} {option} is not described in the README's command table"


def test_readme_starts_with_the_two_commands():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    assert "python build.py serve" in block and "bash scripts/test.sh" in block
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()


def test_help_describes_every_command():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "serve", "check", "import"):
        assert command in result.stdout


def test_unknown_option_is_a_usage_error():
    result = run_cli("build", "--no-such-option")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["serve", "--port", "70000"], "argument --port: '70000' is not a port number from 1 to 65535"),
    (["serve", "--port", "0"], "argument --port: '0' is not a port number from 1 to 65535"),
    (["serve", "--port", "http"], "argument --port: 'http' is not a port number from 1 to 65535"),
    (["check", "--coverage", "150"], "argument --coverage: '150' is not a percentage from 0 to 100"),
    (["check", "--coverage", "-5"], "argument --coverage: '-5' is not a percentage from 0 to 100"),
])
def test_a_number_out_of_range_is_a_usage_error(args, message):
    result = run_cli(*args)
    assert result.returncode == 2 and message in result.stderr


@pytest.mark.parametrize("epoch", ["abc", "-5", "1.7e9", "17000０0000", "99999999999999999"])
def test_a_source_date_epoch_that_is_not_a_time_is_a_message(epoch):
    result = run_cli("check", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"SOURCE_DATE_EPOCH={epoch!r} is not a time: set it to whole seconds since 1970-01-01 UTC" in result.stderr


def test_missing_content_folder(tmp_path):
    result = run_cli("check", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 1 and "the content folder does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_templates_folder(tiny):
    result = run_cli("build", "--content", str(tiny / "content"), "--templates", str(tiny / "none"), "--out", str(tiny / "s"))
    assert result.returncode == 1 and "the templates folder does not exist" in result.stderr


def test_build_reports_what_it_wrote(tiny):
    result = cli_for(tiny, "build", "--out", str(tiny / "site"))
    assert result.returncode == 0
    assert re.match(r"built \d+ files, \d+\.\d MB \(2 articles, 3 annotations, 2 claims\) into .* in \d+\.\d\d s", result.stdout)


def test_progress_shows_on_a_terminal_and_stays_quiet_in_pipes(tiny):
    import os
    import pty
    import subprocess
    import sys

    piped = cli_for(tiny, "build", "--out", str(tiny / "piped"))
    assert piped.returncode == 0 and piped.stderr == ""
    command = [sys.executable, str(REPO / "build.py"), "build", "--out", str(tiny / "tty"),
               "--content", str(tiny / "content"), "--templates", str(tiny / "templates")]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower,
                               env=os.environ | {"PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1800000000"})
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=120)
    text = output.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "rendering pages" in text and "built " in text


def test_timings_say_where_the_build_went(tiny):
    result = cli_for(tiny, "build", "--out", str(tiny / "site"), "--quiet", "--timings")
    assert result.returncode == 0 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    stages = [line.rsplit(None, 2)[0].strip() for line in lines]
    assert stages[:2] == ["preparing", "loading content"] and stages[-1] == "total"
    assert {"rendering pages", "indexing for search", "writing"} <= set(stages)
    seconds = [float(line.rsplit(None, 2)[1]) for line in lines]
    # each figure is rounded to 0.01 s, so the printed stages and total may disagree by 0.005 s each
    assert all(value >= 0 for value in seconds) and abs(sum(seconds[:-1]) - seconds[-1]) <= 0.005 * len(seconds) + 1e-9
