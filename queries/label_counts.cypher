// How many nodes of each label the graph holds.
// params: none
MATCH (n)
RETURN labels(n)[0] AS label, count(n) AS count
ORDER BY count DESC, label
