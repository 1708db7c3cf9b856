// Concepts discussed by the officials of a place (posted there or at an institution in it).
// params: name (Place; default most mentioned with AFFILIATED_WITH|LOCATED_IN)
MATCH (pl:Place)
WHERE pl.name = $name OR $name IN pl.aliases
MATCH (p:Person)-[a:AFFILIATED_WITH]->(x)-[:LOCATED_IN|PART_OF*0..3]->(pl)
WITH DISTINCT p, a, x
ORDER BY x.name
WITH p, collect(x.name + CASE WHEN a.role <> '' THEN ' ' + a.role ELSE '' END) AS posts
MATCH (p)-[:DISCUSSES]->(c:Concept)
WITH p, posts, c
ORDER BY c.name
RETURN p.name AS person, posts, collect(c.name) AS concepts
ORDER BY person
