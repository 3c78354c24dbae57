/** The CLI's version (`maestro --version`, the MCP server's serverInfo). */
export const VERSION = '0.1.0';
