// Posts and titles held at an institution (or a place), by person.
// params: name (Institution or Place; default most mentioned with AFFILIATED_WITH)
MATCH (i)
WHERE (i:Institution OR i:Place) AND (i.name = $name OR $name IN i.aliases)
MATCH (p:Person)-[r:AFFILIATED_WITH]->(i)
RETURN p.name AS person, r.role AS role, i.name AS at, r.confidence AS confidence
ORDER BY person, role
