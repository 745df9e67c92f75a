"""Plans without CP-SAT: the constructive plan and the route search. No OR-Tools."""
