// Institutions by place, with the region a text says it is part of and the gazetteer's.
// stated_region: PART_OF, from a text; within: the places containing it in the gazetteer.
// params: none
MATCH (i:Institution)-[:LOCATED_IN]->(p:Place)
OPTIONAL MATCH (p)-[:PART_OF]->(region:Place)
WITH p, region, i
ORDER BY i.name
RETURN p.name AS place, region.name AS stated_region, coalesce(p.within, []) AS within,
       collect(i.name) AS institutions
ORDER BY place
