"""Costs (sidebar: Settings → Costs): model cost rules, the default price table every project
starts with, and re-pricing of logged generations after a rule changes."""
