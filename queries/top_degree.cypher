// Entities with the most relations (mentions by documents left out).
// params: limit (default 10)
MATCH (n)-[r]-()
WHERE NOT n:Document AND type(r) <> 'MENTIONS'
RETURN labels(n)[0] AS label, n.name AS name, count(r) AS degree, n.docs AS documents
ORDER BY degree DESC, name
LIMIT $limit
