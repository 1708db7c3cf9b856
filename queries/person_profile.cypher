// A person's profile: aliases, posts with titles, concepts discussed, documents.
// params: name (Person; default most mentioned)
MATCH (p:Person)
WHERE p.name = $name OR $name IN p.aliases
OPTIONAL MATCH (p)-[a:AFFILIATED_WITH]->(x)
WITH p, a, x
ORDER BY x.name
WITH p, collect(x.name + CASE WHEN a.role <> '' THEN ' ' + a.role ELSE '' END) AS posts
OPTIONAL MATCH (p)-[:DISCUSSES]->(c:Concept)
WITH p, posts, c
ORDER BY c.name
RETURN p.name AS person, coalesce(p.aliases, []) AS aliases, posts, collect(c.name) AS concepts,
       p.docs AS documents, p.mentions AS mentions
