// Pairs of institutions that share people.
// params: limit (default 20)
MATCH (i:Institution)<-[:AFFILIATED_WITH]-(p:Person)-[:AFFILIATED_WITH]->(j:Institution)
WHERE i.name < j.name
WITH i, j, p
ORDER BY p.name
RETURN i.name AS institution, j.name AS other, count(p) AS shared, collect(p.name) AS people
ORDER BY shared DESC, institution, other
LIMIT $limit
