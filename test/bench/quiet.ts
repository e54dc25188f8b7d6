// Imported first by the benches: the server's request log would cost the routes under test more
// than some of them do. Set LOG_LEVEL to see it anyway.
process.env.LOG_LEVEL ??= 'silent'
