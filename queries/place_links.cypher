// Everything linked to a place: people posted there, institutions in it, regions it belongs to.
// params: name (Place; default most mentioned), limit (default 50)
MATCH (p:Place)
WHERE p.name = $name OR $name IN p.aliases
MATCH (p)-[r]-(x)
WHERE type(r) <> 'MENTIONS'
RETURN labels(x)[0] AS label, x.name AS name, type(r) AS relation, r.role AS role,
       CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction
ORDER BY relation, label, name
LIMIT $limit
