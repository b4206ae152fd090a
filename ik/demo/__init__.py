"""Demo data: the Mjölby reference case and the fictional Exempelkommun."""
