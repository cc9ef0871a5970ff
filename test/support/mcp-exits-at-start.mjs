// A deliberately broken peer: an "MCP server" that dies before the handshake.
process.stderr.write('fatal: DATABASE_URL is not set\n');
process.exit(3);
