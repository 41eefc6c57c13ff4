"""The managers' dashboard (issue 5): budget vs actual, cost allocation, capacity, planned
hours, and what the regularisation would be if the year ended today."""
