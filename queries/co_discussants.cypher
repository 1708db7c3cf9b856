// Pairs of people who discuss the same concepts.
// params: limit (default 20)
MATCH (a:Person)-[:DISCUSSES]->(c:Concept)<-[:DISCUSSES]-(b:Person)
WHERE a.name < b.name
WITH a, b, c
ORDER BY c.name
RETURN a.name AS person, b.name AS other, count(c) AS shared, collect(c.name) AS concepts
ORDER BY shared DESC, person, other
LIMIT $limit
