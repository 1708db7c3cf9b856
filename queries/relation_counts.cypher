// How many relationships of each type the graph holds.
// params: none
MATCH ()-[r]->()
RETURN type(r) AS relation, count(r) AS count
ORDER BY count DESC, relation
