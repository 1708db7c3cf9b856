// People with several affiliations, and their posts.
// params: min (default 2)
MATCH (p:Person)-[r:AFFILIATED_WITH]->(x)
WITH p, r, x
ORDER BY x.name
WITH p, count(x) AS affiliations,
     collect(x.name + CASE WHEN r.role <> '' THEN ' ' + r.role ELSE '' END) AS posts
WHERE affiliations >= $min
RETURN p.name AS person, affiliations, posts
ORDER BY affiliations DESC, person
