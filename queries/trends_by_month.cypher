// How many documents mention an entity, month by month, and when it was first mentioned.
// params: name (entity; default most mentioned)
MATCH (e)
WHERE NOT e:Document AND (e.name = $name OR $name IN e.aliases)
MATCH (d:Document)-[:MENTIONS]->(e)
WHERE d.date <> ''
WITH e, substring(d.date, 0, 7) AS month, count(d) AS documents, min(d.date) AS first
RETURN labels(e)[0] AS label, e.name AS name, month, documents, first AS first_in_month
ORDER BY month
