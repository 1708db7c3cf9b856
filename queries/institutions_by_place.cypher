// Institutions by place, with the region each place belongs to.
// params: none
MATCH (i:Institution)-[:LOCATED_IN]->(p:Place)
OPTIONAL MATCH (p)-[:PART_OF]->(region:Place)
WITH p, region, i
ORDER BY i.name
RETURN p.name AS place, region.name AS region, collect(i.name) AS institutions
ORDER BY place
