// Entities first mentioned on or after a date (by the dates of the documents that mention them).
// params: date (default earliest document date), limit (default 50)
MATCH (d:Document)-[:MENTIONS]->(e)
WHERE d.date <> ''
WITH e, min(d.date) AS first_seen
WHERE first_seen >= $date
RETURN labels(e)[0] AS label, e.name AS name, first_seen
ORDER BY first_seen DESC, label, name
LIMIT $limit
