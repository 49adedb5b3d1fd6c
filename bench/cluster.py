"""A production-like innohub on one machine, on loopback ports of its own (`make cluster`).

    make cluster          # start (or finish starting) everything; prints the address
    make cluster-stop     # stop everything, keep the data (var/cluster/)
    .venv/bin/python bench/cluster.py status
    .venv/bin/python bench/cluster.py start --profile a2i-2019 --scale 10   # the load test's data
    .venv/bin/python bench/cluster.py destroy                              # stop, delete the data

What runs, as the operator guide lays it out on separate machines (docs/operator-guide.md,
"A cluster on one machine"):

- a PostgreSQL primary (127.0.0.1:5440) and a streaming replica made from it with
  `pg_basebackup` (127.0.0.1:5441), their data in var/cluster/primary and var/cluster/replica;
- two gunicorn app servers (127.0.0.1:8101 and 8102), each reading from the replica
  (`DATABASE_REPLICA_URLS`) and writing to the primary;
- nginx in front (http://127.0.0.1:8100), retrying idempotent requests on the other app
  server when one fails (`proxy_next_upstream`);
- two task workers (`manage.py worker`).

Needs Debian's `postgresql` (15) and `nginx` packages. Run as root, PostgreSQL runs as the
`postgres` user. Each piece writes its log in var/cluster/logs/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "var" / "cluster"
LOGS = HOME / "logs"
RUN = HOME / "run"
SOCKETS = HOME / "sockets"

PRIMARY_PORT = int(os.environ.get("CLUSTER_PRIMARY_PORT", "5440"))
REPLICA_PORT = int(os.environ.get("CLUSTER_REPLICA_PORT", "5441"))
PROXY_PORT = int(os.environ.get("CLUSTER_PROXY_PORT", "8100"))
APP_PORTS = (
    int(os.environ.get("CLUSTER_APP1_PORT", "8101")),
    int(os.environ.get("CLUSTER_APP2_PORT", "8102")),
)
WORKERS = 2
DATABASE = "innohub"
PRIMARY_URL = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/{DATABASE}"
REPLICA_URL = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/{DATABASE}"
PROXY = f"http://127.0.0.1:{PROXY_PORT}"


def say(message: str) -> None:
    print(f"cluster: {message}", flush=True)


def fail(message: str) -> None:
    sys.exit(f"cluster: {message}")


# --- PostgreSQL -------------------------------------------------------------------------------


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        fail("PostgreSQL's server programs are missing: apt-get install postgresql")
    return found[-1].parent


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """A PostgreSQL program, as the `postgres` user when run as root (initdb and the server
    refuse root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
    if check and done.returncode:
        fail(f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}")
    return done


def own_folder(path: Path) -> None:
    """A folder PostgreSQL may write (owned by `postgres` when run as root)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    path.chmod(0o700)


@dataclass(frozen=True)
class Server:
    name: str
    port: int

    @property
    def data(self) -> Path:
        return HOME / self.name

    def running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return (
            as_postgres(
                str(pg_bin() / "pg_ctl"), "-D", str(self.data), "status", check=False
            ).returncode
            == 0
        )

    def start(self) -> None:
        if self.running():
            return
        as_postgres(
            str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-l", str(LOGS / f"{self.name}.log"),
            "-w", "-t", "60", "start",
        )  # fmt: skip
        say(f"PostgreSQL {self.name} on 127.0.0.1:{self.port}")

    def stop(self, mode: str = "fast") -> None:
        if self.running():
            as_postgres(str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
            say(f"PostgreSQL {self.name} stopped")

    def restart(self) -> None:
        as_postgres(
            str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-l", str(LOGS / f"{self.name}.log"),
            "-m", "fast", "-w", "-t", "60", "restart",
        )  # fmt: skip

    def sql(self, statement: str, database: str = "postgres") -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
             "-tAc", statement],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            fail(f"psql on {self.name}: {done.stderr.strip()}")
        return done.stdout.strip()


PRIMARY = Server("primary", PRIMARY_PORT)
REPLICA = Server("replica", REPLICA_PORT)

SERVER_SETTINGS = """
# innohub cluster (bench/cluster.py)
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 10
hot_standby = on
max_connections = 200
shared_buffers = 256MB
"""


def make_primary() -> None:
    if (PRIMARY.data / "PG_VERSION").exists():
        return
    own_folder(PRIMARY.data)
    as_postgres(
        str(pg_bin() / "initdb"), "-D", str(PRIMARY.data), "-U", "postgres", "-A", "trust",
        "--encoding=UTF8", "--no-instructions",
    )  # fmt: skip
    with (PRIMARY.data / "postgresql.conf").open("a") as conf:
        conf.write(SERVER_SETTINGS.format(port=PRIMARY.port, sockets=SOCKETS))
    say("primary made (initdb)")


def make_replica() -> None:
    """A copy of the primary taken with pg_basebackup, started as a streaming replica."""
    if (REPLICA.data / "PG_VERSION").exists():
        return
    own_folder(REPLICA.data)
    as_postgres(
        str(pg_bin() / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY.port),
        "-U", "postgres", "-D", str(REPLICA.data), "--write-recovery-conf",
        "--wal-method=stream", "--checkpoint=fast",
    )  # fmt: skip
    with (REPLICA.data / "postgresql.conf").open("a") as conf:
        conf.write(f"port = {REPLICA.port}\n")
    say("replica made (pg_basebackup --write-recovery-conf)")


def replica_streams() -> bool:
    return PRIMARY.sql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") != "0"


# --- The application ---------------------------------------------------------------------------


def app_env() -> dict[str, str]:
    """What every app server and worker is started with (the operator guide's env file)."""
    secret = HOME / "secret_key"
    if not secret.exists():
        secret.write_text(os.urandom(32).hex())
        secret.chmod(0o600)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    return {
        **keep,
        "DATABASE_URL": PRIMARY_URL,
        "DATABASE_REPLICA_URLS": REPLICA_URL,
        "DEBUG": "0",
        "SECRET_KEY": secret.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "INNOHUB_VAR_DIR": str(HOME / "var"),
        "MEDIA_ROOT": str(HOME / "var" / "media"),
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        # The load test signs in many times from one address.
        "AXES_ENABLED": os.environ.get("AXES_ENABLED", "false"),
        # A job whose worker died is taken up again after this (production: 120 s and 60 s),
        # so that the fault tests see it end within a minute.
        "JOB_LEASE_SECONDS": os.environ.get("JOB_LEASE_SECONDS", "20"),
        "JOB_SWEEP_SECONDS": os.environ.get("JOB_SWEEP_SECONDS", "10"),
    }


def manage(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=app_env(), capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        fail(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def pid_of(name: str) -> int | None:
    path = RUN / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start_app(number: int) -> None:
    name = f"app{number}"
    if pid_of(name):
        return
    port = APP_PORTS[number - 1]
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"), "innohub.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", os.environ.get("CLUSTER_APP_WORKERS", "3"),
            "--timeout", "120", "--graceful-timeout", "10",
            "--daemon", "--pid", str(RUN / f"{name}.pid"), "--capture-output",
            "--error-logfile", str(LOGS / f"{name}.log"),
            "--access-logfile", str(LOGS / f"{name}-access.log"),
            "--access-logformat",
            '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s',
        ],
        cwd=ROOT, env=app_env(), check=True,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/healthz/live", name)
    say(f"app server {number} (gunicorn) on 127.0.0.1:{port}")


def start_worker(number: int) -> None:
    name = f"worker{number}"
    if pid_of(name):
        return
    with (LOGS / f"{name}.log").open("a") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT, env=app_env(), stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    (RUN / f"{name}.pid").write_text(str(process.pid))
    say(f"task worker {number} (pid {process.pid})")


def stop_pid(name: str, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    pid = pid_of(name)
    if pid is None:
        (RUN / f"{name}.pid").unlink(missing_ok=True)
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and pid_of(name):
        time.sleep(0.1)
    if pid_of(name):
        os.kill(pid, signal.SIGKILL)
    (RUN / f"{name}.pid").unlink(missing_ok=True)
    say(f"{name} stopped")


# --- nginx --------------------------------------------------------------------------------------

NGINX_CONF = """
# innohub cluster (bench/cluster.py): the proxy in front of the app servers.
daemon on;
pid {home}/run/nginx.pid;
error_log {home}/logs/nginx-error.log warn;
worker_processes 2;
user root;
events {{ worker_connections 2048; }}
http {{
    # The request id nginx makes is sent to the app server, which logs it on every line.
    log_format innohub '$remote_addr [$time_iso8601] "$request" $status $body_bytes_sent '
                       '$request_time $upstream_addr id=$request_id';
    access_log {home}/logs/nginx-access.log innohub;
    client_body_temp_path {home}/nginx/body;
    proxy_temp_path {home}/nginx/proxy;
    fastcgi_temp_path {home}/nginx/fastcgi;
    uwsgi_temp_path {home}/nginx/uwsgi;
    scgi_temp_path {home}/nginx/scgi;
    client_max_body_size 110m;
    upstream innohub {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=5s;
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{proxy};
        location / {{
            proxy_pass http://innohub;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            # A request an app server failed (it died, refused the connection, or timed out)
            # goes to the other; idempotent ones only: nginx never repeats a POST it sent. Not
            # the app's own 503 (the database is away): it is the answer, with Retry-After,
            # and counting it as a failure would take every app server out at once.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def nginx_bin() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        fail("nginx is missing: apt-get install nginx")
    return str(found)


def start_proxy() -> None:
    if pid_of("nginx"):
        return
    folder = HOME / "nginx"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(home=HOME, app1=APP_PORTS[0], app2=APP_PORTS[1], proxy=PROXY_PORT)
    )
    subprocess.run([nginx_bin(), "-p", str(folder), "-c", str(conf)], check=True)
    wait_for(f"{PROXY}/healthz/live", "nginx")
    say(f"proxy (nginx) on {PROXY}")


def stop_proxy() -> None:
    if pid_of("nginx"):
        folder = HOME / "nginx"
        subprocess.run(
            [nginx_bin(), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-s", "quit"],
            check=False,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and pid_of("nginx"):
            time.sleep(0.1)
        say("nginx stopped")


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    fail(f"{what} did not answer {url} within {seconds:.0f} s (see {LOGS})")


# --- Commands ----------------------------------------------------------------------------------


def start(profile: str | None, scale: int) -> None:
    pg_bin(), nginx_bin()
    for folder in (LOGS, RUN, HOME / "var"):
        folder.mkdir(parents=True, exist_ok=True)
    own_folder(SOCKETS)
    if os.geteuid() == 0:
        shutil.chown(LOGS, "postgres", "postgres")  # the servers' logs
    make_primary()
    PRIMARY.start()
    if PRIMARY.sql(f"SELECT count(*) FROM pg_database WHERE datname = '{DATABASE}'") == "0":
        PRIMARY.sql(f"CREATE DATABASE {DATABASE}")
    make_replica()
    REPLICA.start()
    manage("migrate", "--noinput", "-v", "0")
    pilots = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from innohub.pipeline.models import Pilot; print(Pilot.objects.count())",
    )
    if int(pilots.strip().splitlines()[-1]) == 0:
        say(
            f"data: seed_demo {'--profile ' + profile + ' --scale ' + str(scale) if profile else ''}"
        )
        started = time.monotonic()
        manage("seed_demo", *(["--profile", profile, "--scale", str(scale)] if profile else []))
        say(f"data made in {time.monotonic() - started:.0f} s")
    for number in (1, 2):
        start_app(number)
    for number in range(1, WORKERS + 1):
        start_worker(number)
    start_proxy()
    status()
    print(
        f"\ninnohub answers at {PROXY}/  (logins: manage.py demo_logins; stop: make cluster-stop)"
    )


def stop() -> None:
    stop_proxy()
    for number in range(1, WORKERS + 1):
        stop_pid(f"worker{number}")
    for number in (1, 2):
        stop_pid(f"app{number}")
    REPLICA.stop()
    PRIMARY.stop()


def destroy() -> None:
    stop()
    shutil.rmtree(HOME, ignore_errors=True)
    say(f"{HOME} deleted")


def status() -> None:
    rows = [
        ("primary", f"127.0.0.1:{PRIMARY.port}", PRIMARY.running()),
        ("replica", f"127.0.0.1:{REPLICA.port}", REPLICA.running()),
        ("app1", f"127.0.0.1:{APP_PORTS[0]}", bool(pid_of("app1"))),
        ("app2", f"127.0.0.1:{APP_PORTS[1]}", bool(pid_of("app2"))),
        *((f"worker{n}", "", bool(pid_of(f"worker{n}"))) for n in range(1, WORKERS + 1)),
        ("nginx", PROXY, bool(pid_of("nginx"))),
    ]
    for name, where, up in rows:
        print(f"  {name:8} {where:24} {'running' if up else 'stopped'}")
    if PRIMARY.running() and REPLICA.running():
        print(f"  replication: {'streaming' if replica_streams() else 'NOT streaming'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "destroy"])
    parser.add_argument("--profile", help="seed_demo's profile for the data (default: the demo)")
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    if args.command == "start":
        start(args.profile, args.scale)
    elif args.command == "stop":
        stop()
    elif args.command == "destroy":
        destroy()
    else:
        status()


if __name__ == "__main__":
    main()
