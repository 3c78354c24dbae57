/** The skills shipped with the package (`skills/` at its root, two levels above this module). */
export const PACKAGE_SKILLS_DIR = new URL('../../skills/', import.meta.url).pathname;
