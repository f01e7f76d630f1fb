/**
 * Builds the tree of every variable under `root` (`Mesh__Service__Port=8080` -> `{ service: { port: '8080' } }`),
 * matching `root` and every key case-insensitively like ASP.NET configuration. `:` works as a separator too.
 */
export function readEnvTree(env, root) {
    const tree = {};
    const prefix = root.toLowerCase();
    for (const [name, value] of Object.entries(env)) {
        if (value === undefined)
            continue;
        const path = name.toLowerCase().split(/__|:/);
        if (path[0] !== prefix || path.length < 2)
            continue;
        let node = tree;
        for (const segment of path.slice(1, -1)) {
            const next = node[segment];
            node = typeof next === 'object' ? next : (node[segment] = {});
        }
        node[path.at(-1)] = value;
    }
    return tree;
}
/** The sub-tree at `path` (case-insensitive), or an empty tree. */
export function treeSection(tree, ...path) {
    let node = tree;
    for (const segment of path)
        node = typeof node === 'object' ? node[segment.toLowerCase()] : undefined;
    return typeof node === 'object' ? node : {};
}
/** The first string value found under any of `keys` (aliases, case-insensitive). */
export function treeValue(tree, ...keys) {
    for (const key of keys) {
        const value = tree?.[key.toLowerCase()];
        if (typeof value === 'string')
            return value;
    }
    return undefined;
}
