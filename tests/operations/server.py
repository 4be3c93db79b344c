"""The PostgreSQL server behind a Django connection, for the tests that reach it beside Django
(a dump, a copy standing in for a replica, other processes)."""


def server_of(connection) -> tuple[dict, str]:
    """The server's connection parameters (host, port, user, password: those set) and the
    connection's database name."""
    params = connection.get_connection_params()
    dsn = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    return dsn, params.get("database") or params["dbname"]
