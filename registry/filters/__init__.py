"""The registry's FilterSets, shared by its web pages and the API (common: the search
form and the filters by region, county and domain)."""
