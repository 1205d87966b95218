CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login_id TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT
);
CREATE UNIQUE INDEX ix_users_login_id ON users (login_id);
