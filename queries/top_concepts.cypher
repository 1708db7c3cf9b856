// Concepts discussed most, and by whom.
// params: limit (default 10)
MATCH (c:Concept)
OPTIONAL MATCH (x)-[:DISCUSSES]->(c)
WITH c, x
ORDER BY x.name
WITH c, collect(x.name) AS discussed_by
RETURN c.name AS concept, c.tier AS tier, size(discussed_by) AS speakers,
       c.mentions AS mentions, c.docs AS documents, discussed_by
ORDER BY speakers DESC, mentions DESC, concept
LIMIT $limit
