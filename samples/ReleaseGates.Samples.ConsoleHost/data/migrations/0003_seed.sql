INSERT INTO users (id, login_id, email, password_hash) VALUES
    (1, 'ada', 'ada@example.org', 'pbkdf2$sample$1'),
    (2, 'grace', 'grace@example.org', 'pbkdf2$sample$2');
INSERT INTO templates (id, name, weight) VALUES (1, 'welcome', 0.5), (2, 'reminder', 0.3), (3, 'farewell', 0.2);
